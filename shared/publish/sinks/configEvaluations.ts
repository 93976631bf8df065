/**
 * The AWS Config evaluations sink: one evaluation per bucket for the Config rule invocation that asked
 * (PutEvaluations with its result token). Always on: it delivers only when a Config invocation gives it
 * evaluations.
 */
import { ConfigEvaluationsError } from '../errors.js';
import { putEvaluations } from '../configEvaluations.js';
import type { EvaluationSink, SinkDefinition, SinkEnvironment } from './types.js';

export const configEvaluationsSink = (env: SinkEnvironment): EvaluationSink => ({
  name: 'configEvaluations',
  role: 'evaluation',
  async deliver({ resultToken, evaluations }) {
    const ids = evaluations.map((e) => e.ComplianceResourceId);
    try {
      await putEvaluations(env.factory, resultToken, [...evaluations]);
      return { delivered: ids, failed: [] };
    } catch (error) {
      if (!(error instanceof ConfigEvaluationsError)) throw error;
      const failed = new Set(error.failedResourceIds);
      return {
        delivered: ids.filter((id) => !failed.has(id)),
        failed: [...failed].map((b) => ({ id: `config:${b}`, reason: error.message })),
      };
    }
  },
});

export const configEvaluationsDefinition: SinkDefinition = {
  name: 'configEvaluations',
  create: (_settings, env) => configEvaluationsSink(env),
};
