import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import test from 'ava';
import { traceSampler } from '../../../shared/tracing/trace-sampler';
import type { TracesSampler } from '../../../shared/tracing/tracing-env';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const sampledParent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: TRACE_ID,
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
});

function decision(sampler: TracesSampler, ratio: number, parent = ROOT_CONTEXT): SamplingDecision {
  return traceSampler({ sampler, ratio }).shouldSample(parent, TRACE_ID, 'span', SpanKind.SERVER, {}, [])
    .decision;
}

test('each OTEL_TRACES_SAMPLER value is the sampler the specification names', (t) => {
  const { RECORD_AND_SAMPLED: kept, NOT_RECORD: dropped } = SamplingDecision;
  t.is(decision('always_on', 0), kept);
  t.is(decision('always_off', 1), dropped);
  t.is(decision('traceidratio', 1), kept);
  t.is(decision('traceidratio', 0), dropped);
  t.is(decision('parentbased_traceidratio', 0), dropped, 'a root is sampled by the ratio');
  t.is(
    decision('parentbased_traceidratio', 0, sampledParent),
    kept,
    "a sampled caller's trace is kept whole",
  );
  t.is(decision('parentbased_always_on', 1), kept);
  t.is(decision('parentbased_always_off', 1), dropped);
  t.is(decision('parentbased_always_off', 1, sampledParent), kept);
});
