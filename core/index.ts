// The public surface eval authors import. Everything not exported here may change.
export { defineEval, headlineMetric } from './define.js';
export type {
  AnyEval,
  BaseSample,
  ChatResponse,
  DatasetRef,
  EvalDefinition,
  FunctionTool,
  Grade,
  Message,
  MetricSpec,
  PrivilegePair,
  Role,
  SolveContext,
  ToolCall,
  Transcript,
} from './types.js';
export { ConfigError, DatasetError, RunnerError, SandboxError, CardevalError } from './errors.js';
export { z } from 'zod';
