/**
 * The business metrics the functions publish (CloudWatch embedded metric format, through Powertools)
 * and the dashboard reads: one table, so a name or a dimension cannot drift between the two. A metric
 * carries ids and outcomes only — never a person's name, an e-mail address or an entry's title.
 */
export const METRICS_NAMESPACE = 'InnovationChallenge';

export type MetricDimension = 'competitionId' | 'trackId' | 'roundId' | 'currency';

interface MetricSpec {
  /** What one data point means, for the dashboard's labels and the README. */
  label: string;
  dimensions: readonly MetricDimension[];
  unit: 'Count' | 'None';
}

const byTrack = ['competitionId', 'trackId'] as const;
const byRound = ['competitionId', 'roundId'] as const;
const byCompetition = ['competitionId'] as const;

export const BUSINESS_METRICS = {
  EntriesCreated: { label: 'entries created', dimensions: byTrack, unit: 'Count' },
  EntriesSubmitted: { label: 'entries submitted', dimensions: byTrack, unit: 'Count' },
  EntriesWithdrawn: { label: 'entries withdrawn', dimensions: byTrack, unit: 'Count' },
  EntriesEligible: { label: 'screened eligible', dimensions: byTrack, unit: 'Count' },
  EntriesIneligible: { label: 'screened ineligible', dimensions: byTrack, unit: 'Count' },
  ReviewsAssigned: { label: 'reviews assigned', dimensions: byRound, unit: 'Count' },
  ReviewsSubmitted: { label: 'reviews submitted', dimensions: byRound, unit: 'Count' },
  ReviewsDeclined: { label: 'reviews declined (conflict)', dimensions: byRound, unit: 'Count' },
  ReviewerReminders: { label: 'reviewer reminders', dimensions: byRound, unit: 'Count' },
  MailsSent: { label: 'e-mails sent', dimensions: byCompetition, unit: 'Count' },
  MailsRefused: { label: 'e-mails refused', dimensions: byCompetition, unit: 'Count' },
  AwardsPublished: { label: 'awards published', dimensions: byCompetition, unit: 'Count' },
  AppointmentsAccepted: { label: 'appointments accepted', dimensions: byCompetition, unit: 'Count' },
  AppointmentsDeclined: { label: 'appointments declined', dimensions: byCompetition, unit: 'Count' },
  TranchesDisbursed: { label: 'tranches disbursed', dimensions: byCompetition, unit: 'Count' },
  // CloudWatch has no currency unit: the amount is in the project's currency, a dimension of its own.
  TrancheAmount: { label: 'amount disbursed', dimensions: ['competitionId', 'currency'], unit: 'None' },
  Conversions: { label: 'grants converted to equity', dimensions: byCompetition, unit: 'Count' },
} as const satisfies Record<string, MetricSpec>;

export type BusinessMetric = keyof typeof BUSINESS_METRICS;

/** The dimensions a metric needs, by name: a call that forgets one does not compile. */
export type MetricDimensions<M extends BusinessMetric> = {
  [D in (typeof BUSINESS_METRICS)[M]['dimensions'][number]]: string;
};
