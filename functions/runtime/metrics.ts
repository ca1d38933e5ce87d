import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import {
  BUSINESS_METRICS,
  type BusinessMetric,
  METRICS_NAMESPACE,
  type MetricDimensions,
} from '../../shared/metrics.ts';

const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'innovation-challenge' });

/**
 * Publishes one business data point as its own EMF record, right away: one stream batch or workflow step
 * may touch several competitions, and each point keeps exactly the dimensions the dashboard reads (the
 * default `service` dimension is dropped). Call it once a change was written, never on a replay that
 * found the change already made, so retries do not count twice.
 */
export const recordMetric = <M extends BusinessMetric>(name: M, dimensions: MetricDimensions<M>, value = 1) => {
  if (value === 0) return;
  const point = metrics.singleMetric();
  point.clearDefaultDimensions();
  for (const [dimension, dimensionValue] of Object.entries<string>(dimensions)) {
    point.addDimension(dimension, dimensionValue);
  }
  point.addMetric(name, BUSINESS_METRICS[name].unit === 'Count' ? MetricUnit.Count : MetricUnit.NoUnit, value);
};
