import { creditCodeCheck } from '../../shared/credit-code.ts';
/** The demo competition `npm start` creates on first start (dates relative to that moment). */
export const DEMO_COMPETITION_ID = 'yrd-challenge-2026';

const DAY = 24 * 3600 * 1000;
const iso = (t: number) => new Date(t).toISOString();

export const demoCompetition = (now = Date.now()) => ({
  competitionId: DEMO_COMPETITION_ID,
  title: { zh: '2026 长三角国际创新挑战赛', en: '2026 Yangtze River Delta International Innovation Challenge' },
  description: {
    zh: '企业出题、全球揭榜：围绕集成电路、人工智能、生物医药等领域征集解决方案，优胜者可获聘项目经理并获得拨投结合支持。',
    en: 'Companies pose technology needs and solvers worldwide answer them. Winners may be appointed project managers and funded grant-then-equity.',
  },
  status: 'PUBLISHED',
  tracks: [
    { trackId: 'ic', kind: 'OPEN_FIELD', field: 'IC', name: { zh: '集成电路', en: 'Integrated circuits' } },
    { trackId: 'ai', kind: 'OPEN_FIELD', field: 'AI', name: { zh: '人工智能', en: 'Artificial intelligence' } },
    {
      trackId: 'biomed-need-01',
      kind: 'CHALLENGE',
      field: 'BIOMED',
      name: { zh: '生物医药：高通量抗体筛选', en: 'Biomedicine: high-throughput antibody screening' },
      sponsor: { organizationName: '苏州示例生物医药有限公司', contactEmail: 'needs@example.com' },
      need: {
        zh: '需要一套日处理能力不低于 10 万克隆的抗体筛选平台，筛选周期缩短 50%。',
        en: 'An antibody screening platform handling at least 100,000 clones a day, halving the screening cycle.',
      },
      budget: { amount: '5000000.00', currency: 'CNY' },
      intendedInvestment: { amount: '20000000.00', currency: 'CNY' },
      sponsorConfirmsWinner: true,
    },
  ],
  rounds: [
    {
      roundId: 'intake',
      kind: 'INTAKE',
      name: { zh: '报名与形式审查', en: 'Intake and eligibility screening' },
      opensAt: iso(now - DAY),
      submissionDeadline: iso(now + 14 * DAY),
    },
    {
      roundId: 'preliminary',
      kind: 'PRELIMINARY',
      name: { zh: '初赛（网评）', en: 'Preliminary (online review)' },
      reviewOpensAt: iso(now + 15 * DAY),
      reviewClosesAt: iso(now + 25 * DAY),
      blind: true,
      reviewersPerEntry: 5,
    },
    {
      roundId: 'final',
      kind: 'FINAL',
      name: { zh: '决赛（路演答辩）', en: 'Final (roadshow and defence)' },
      reviewOpensAt: iso(now + 40 * DAY),
      reviewClosesAt: iso(now + 41 * DAY),
      blind: false,
      reviewersPerEntry: 7,
    },
  ],
  rubric: {
    criteria: [
      {
        criterionId: 'innovation',
        name: { zh: '技术创新性', en: 'Technical innovation' },
        weight: 40,
        minScore: 0,
        maxScore: 100,
      },
      { criterionId: 'feasibility', name: { zh: '可行性', en: 'Feasibility' }, weight: 30, minScore: 0, maxScore: 100 },
      {
        criterionId: 'market',
        name: { zh: '产业化前景', en: 'Market potential' },
        weight: 20,
        minScore: 0,
        maxScore: 100,
      },
      { criterionId: 'team', name: { zh: '团队能力', en: 'Team' }, weight: 10, minScore: 0, maxScore: 100 },
    ],
  },
  eligibility: {
    requiredFields: ['summary'],
    requiredDocuments: ['BUSINESS_PLAN'],
    allowedRegions: ['CN-SH', 'CN-JS', 'CN-ZJ', 'CN-AH', 'HK', 'SG', 'DE', 'GB', 'US'],
    allowedOrganizationTypes: [],
  },
  entryPolicy: { maxActiveEntriesPerOrganizationPerTrack: 1 },
  awardPlan: {
    tiers: [
      {
        tierId: 'grand',
        name: { zh: '特等奖', en: 'Grand prize' },
        count: 1,
        scope: 'OVERALL',
        funded: true,
        grant: { amount: '5000000.00', currency: 'CNY' },
      },
      {
        tierId: 'first',
        name: { zh: '一等奖', en: 'First prize' },
        count: 1,
        scope: 'PER_TRACK',
        funded: true,
        grant: { amount: '2000000.00', currency: 'CNY' },
      },
      { tierId: 'second', name: { zh: '二等奖', en: 'Second prize' }, count: 2, scope: 'PER_TRACK', funded: false },
    ],
    specialAwards: [
      {
        awardId: 'original-innovation',
        name: { zh: '原始创新奖', en: 'Original innovation award' },
        rule: { kind: 'BEST_ON_CRITERION', criterionId: 'innovation' },
        mayCombineWithTier: true,
      },
      {
        awardId: 'field-gold',
        name: { zh: '领域金奖', en: 'Field gold award' },
        rule: { kind: 'BEST_PER_TRACK' },
        mayCombineWithTier: true,
      },
    ],
    tieBreak: [
      { kind: 'FINAL_SCORE' },
      { kind: 'CRITERION', criterionId: 'innovation' },
      { kind: 'EARLIER_SUBMISSION' },
    ],
    sponsorConfirmationHours: 72,
    funding: {
      appointmentHours: 336,
      termMonths: 36,
      responsibilities: {
        zh: '负责项目研发目标的实现、团队组建与经费使用，按里程碑报告进展。',
        en: 'Leads the project to its research goals, builds the team, manages the funds and reports at each milestone.',
      },
      organizerEmail: 'office@example.com',
      milestones: [
        { milestoneId: 'kickoff', title: { zh: '项目启动', en: 'Kick-off' }, percent: 30 },
        { milestoneId: 'prototype', title: { zh: '原型验证', en: 'Prototype validated' }, percent: 40 },
        { milestoneId: 'delivery', title: { zh: '成果交付', en: 'Results delivered' }, percent: 30 },
      ],
      conversion: {
        converts: 'DISBURSED',
        discountPercent: '20',
        valuationCap: { amount: '60000000.00', currency: 'CNY' },
        qualifyingRoundSize: { amount: '10000000.00', currency: 'CNY' },
      },
    },
  },
});

/** A valid entry for the demo's IC track (the README's curl line sends the same). */
export const demoEntry = (overrides: Record<string, unknown> = {}) => ({
  trackId: 'ic',
  title: '基于存算一体的低功耗 AI 芯片 🚀',
  summary: '面向边缘推理的存算一体架构，能效比提升 10 倍。',
  applicant: {
    organizationName: '杭州示例微电子有限公司',
    organizationType: 'ENTERPRISE',
    region: 'CN-ZJ',
    foundedOn: '2021-06-01',
    lead: { name: '张三', email: 'zhangsan@example.com' },
  },
  documents: [{ type: 'BUSINESS_PLAN', name: '商业计划书.pdf' }],
  submit: true,
  ...overrides,
});

/** Needs of the demo catalogue: varied, deterministic, like the real challenge's (fields, regions, money). */
const NEED_TOPICS: Record<'IC' | 'AI' | 'BIOMED', Array<[string, string, string]>> = {
  IC: [
    ['车规级激光雷达接收芯片', 'Automotive LiDAR receiver chip', '半导体'],
    ['12 英寸晶圆缺陷检测算法', '12-inch wafer defect inspection', '半导体'],
    ['高速 SerDes 接口 IP', 'High-speed SerDes interface IP', '集成电路设计'],
    ['功率器件碳化硅外延工艺', 'SiC epitaxy for power devices', '功率半导体'],
    ['存算一体 AI 推理芯片', 'Compute-in-memory AI inference chip', '集成电路设计'],
    ['先进封装热管理方案', 'Thermal management for advanced packaging', '封装测试'],
  ],
  AI: [
    ['工业视觉质检大模型', 'Vision foundation model for industrial inspection', '智能制造'],
    ['港口集卡自动驾驶调度', 'Autonomous truck dispatch for ports', '智慧物流'],
    ['电网负荷预测与调度优化', 'Grid load forecasting and dispatch', '能源'],
    ['多模态病历结构化', 'Multimodal medical record structuring', '医疗信息化'],
    ['纺织面料瑕疵识别', 'Fabric defect recognition', '纺织'],
    ['具身智能机械臂抓取', 'Embodied-AI robotic grasping', '机器人'],
  ],
  BIOMED: [
    ['高通量抗体筛选平台', 'High-throughput antibody screening', '生物医药'],
    ['mRNA 递送脂质纳米颗粒', 'Lipid nanoparticles for mRNA delivery', '生物医药'],
    ['细胞治疗自动化生产', 'Automated cell-therapy manufacturing', '细胞治疗'],
    ['可降解心血管支架材料', 'Biodegradable cardiovascular stent material', '医疗器械'],
    ['肿瘤早筛液体活检', 'Liquid biopsy for early cancer screening', '体外诊断'],
    ['中药有效成分连续制造', 'Continuous manufacturing of TCM actives', '中医药'],
  ],
};
const NEED_SPONSORS: Array<[string, string, string]> = [
  ['CN-SH', '310000', '上海'],
  ['CN-JS', '320500', '苏州'],
  ['CN-JS', '320200', '无锡'],
  ['CN-ZJ', '330100', '杭州'],
  ['CN-ZJ', '330200', '宁波'],
  ['CN-AH', '340100', '合肥'],
  ['CN-GD', '440300', '深圳'],
  ['CN-BJ', '110000', '北京'],
];
const COOPERATIONS = [
  ['TECH_DEVELOPMENT'],
  ['TECH_TRANSFER'],
  ['JOINT_RESEARCH', 'TECH_DEVELOPMENT'],
  ['TECH_LICENSE'],
  ['EQUITY', 'JOINT_RESEARCH'],
];

export const demoNeeds = (count: number, now = Date.now()) =>
  Array.from({ length: count }, (_, n) => {
    const field = (['IC', 'AI', 'BIOMED'] as const)[n % 3]!;
    const topics = NEED_TOPICS[field];
    const [zh, en, industry] = topics[Math.floor(n / 3) % topics.length]!;
    const [region, adcode, city] = NEED_SPONSORS[(n * 5) % NEED_SPONSORS.length]!;
    const first17 = `91${adcode}MA${String(n + 1).padStart(7, '0')}`;
    // Intended investment between 0.5 and 50 million CNY, in steps of 50,000.
    const amount = ((((n * 7919) % 999) + 10) * 50_000).toFixed(2);
    return {
      sponsor: {
        name: `${city}示例${industry}企业${n + 1}有限公司`,
        creditCode: first17 + creditCodeCheck(first17),
        region,
        industry,
      },
      contact: { name: '联系人', email: `needs${n + 1}@example.com`, phone: '021-55550000' },
      title: { zh: `${zh}（需求 ${n + 1}）`, en: `${en} (need ${n + 1})` },
      description: {
        zh: `${city}企业寻求${zh}的解决方案，要求在一年内完成样机验证并具备量产条件。`,
        en: `A company in ${city} seeks a solution for: ${en.toLowerCase()}, with a prototype validated within a year.`,
      },
      field,
      indicators: [{ name: '交付周期', target: '≤ 12', unit: '月' }],
      intendedInvestment: { amount, currency: 'CNY' },
      cooperation: COOPERATIONS[n % COOPERATIONS.length]!,
      answerDeadline: new Date(now + 10 * DAY).toISOString(),
      submit: true,
    };
  });
