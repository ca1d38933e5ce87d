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
