import './long-timers.ts';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { LambdaInvocationError, type LocalLambdas } from './lambdas.ts';
import type { LocalStateMachine } from './template.ts';

/**
 * Runs the synthesized state machines with aws-local-stepfunctions and keeps
 * executions the way the Step Functions API reports them. The engine lacks
 * callbacks, so `.waitForTaskToken` is emulated: the context object carries a
 * placeholder token, each callback task mints a real one, and SendTaskSuccess /
 * SendTaskFailure / SendTaskHeartbeat settle it.
 */

export class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  redriveCount?: number;
  events: HistoryEvent[];
}

interface PendingToken {
  executionArn: string;
  stateName: string;
  expiresAt?: number;
  resolve: (output: unknown) => void;
  reject: (e: Error) => void;
  heartbeat?: () => void;
}

type AslState = Record<string, unknown> & {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
};

const TOKEN_PLACEHOLDER = '__LOCAL_TASK_TOKEN__';
const LAMBDA_INVOKE = /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/;
const LAMBDA_ARN = /^arn:aws:lambda:[^:]+:\d+:function:[^:]+(:.+)?$/;

/** Every Task state of a definition, including those inside Parallel branches and Map processors. */
const taskStates = (def: Record<string, unknown>): Array<[string, AslState]> => {
  const out: Array<[string, AslState]> = [];
  for (const [name, s] of Object.entries((def.States ?? {}) as Record<string, AslState>)) {
    if (s.Type === 'Task') out.push([name, s]);
    for (const b of (s.Branches as Record<string, unknown>[] | undefined) ?? []) out.push(...taskStates(b));
    const inner = (s.ItemProcessor ?? s.Iterator) as Record<string, unknown> | undefined;
    if (inner) out.push(...taskStates(inner));
  }
  return out;
};

const replaceDeep = (v: unknown, from: string, to: string): unknown => {
  if (v === from) return to;
  if (Array.isArray(v)) return v.map((x) => replaceDeep(x, from, to));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceDeep(x, from, to)]));
  return v;
};

/** Lambda failures surface as Step Functions sees them: Error = errorType, Cause = Lambda's error JSON. */
const taskError = (e: unknown): Error => {
  const err =
    e instanceof LambdaInvocationError
      ? e
      : new LambdaInvocationError((e as Error)?.name ?? 'Error', (e as Error)?.message ?? String(e));
  const out = new Error(JSON.stringify({ errorType: err.errorType, errorMessage: err.errorMessage, trace: [] }));
  out.name = err.errorType;
  return out;
};

export interface LocalStepFunctionsOptions {
  stateMachines: LocalStateMachine[];
  lambdas: LocalLambdas;
  /** Where executions are kept across restarts; omit to keep them in memory. */
  dataDir?: string;
  /** Wait state name → milliseconds, for tests that must not sleep until a real timestamp. */
  waitOverrides?: Record<string, number>;
}

export class LocalStepFunctions {
  private readonly machines = new Map<string, { def: LocalStateMachine; engine: StateMachine }>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly tokens = new Map<string, PendingToken>();
  /** Tokens whose task already closed: the service answers TaskTimedOut for them. */
  private readonly closedTokens = new Set<string>();
  private readonly aborts = new Map<string, () => void>();
  private readonly settled = new Map<string, Promise<void>>();
  private readonly file?: string;
  private saveScheduled = false;
  private closing = false;
  /** Executions found RUNNING in the saved state: a stop or crash interrupted them. */
  readonly interrupted: ExecutionRecord[] = [];

  constructor(private readonly opts: LocalStepFunctionsOptions) {
    for (const def of opts.stateMachines) {
      const unsupported = taskStates(def.definition).filter(
        ([, s]) => !LAMBDA_INVOKE.test(s.Resource ?? '') && !LAMBDA_ARN.test(s.Resource ?? ''),
      );
      if (unsupported.length) {
        throw new Error(
          `state machine ${def.name}: the local engine runs Lambda tasks only; unsupported: ${unsupported.map(([n, s]) => `${n} (${s.Resource})`).join(', ')}`,
        );
      }
      const engine = new StateMachine(def.definition as never, { validationOptions: { checkArn: false } });
      this.machines.set(def.arn, { def, engine });
    }
    if (opts.dataDir) {
      mkdirSync(opts.dataDir, { recursive: true });
      this.file = path.join(opts.dataDir, 'executions.json');
      this.load();
    }
  }

  /** Executions a restart interrupted are reported as ABORTED with the reason, never silently dropped. */
  private load() {
    if (!this.file || !existsSync(this.file)) return;
    const saved = JSON.parse(readFileSync(this.file, 'utf8')) as ExecutionRecord[];
    for (const x of saved) {
      if (x.status === 'RUNNING') {
        x.status = 'ABORTED';
        x.stopDate = Date.now();
        x.error = 'Local.EngineRestarted';
        x.cause =
          'The local Step Functions engine stopped while this execution was running; start the round again from the admin route, or redrive the execution.';
        this.addEvent(x, 'ExecutionAborted', { executionAbortedEventDetails: { error: x.error, cause: x.cause } });
        this.interrupted.push(x);
      }
      this.executions.set(x.executionArn, x);
    }
    this.save();
  }

  private save() {
    if (!this.file || this.saveScheduled || this.closing) return;
    this.saveScheduled = true;
    setTimeout(() => this.flush(), 50).unref();
  }

  /** Writes executions atomically (temp file + rename). */
  flush() {
    this.saveScheduled = false;
    if (!this.file) return;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.executions.values()]));
    renameSync(tmp, this.file);
  }

  private addEvent(x: ExecutionRecord, type: string, details: Record<string, unknown>) {
    const id = x.events.length + 1;
    x.events.push({ id, previousEventId: id - 1, timestamp: Date.now(), type, ...details });
    this.save();
  }

  private machine(arn: string) {
    const m = this.machines.get(arn);
    if (!m) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return m;
  }

  listStateMachines() {
    return [...this.machines.values()].map(({ def }) => ({
      stateMachineArn: def.arn,
      name: def.name,
      type: 'STANDARD',
      creationDate: 0,
    }));
  }

  describeStateMachine(arn: string) {
    const { def } = this.machine(arn);
    return {
      stateMachineArn: def.arn,
      name: def.name,
      status: 'ACTIVE',
      definition: JSON.stringify(def.definition),
      type: 'STANDARD',
      roleArn: 'arn:aws:iam::000000000000:role/local',
      creationDate: 0,
    };
  }

  /**
   * StartExecution with the service's idempotency: the same name with the same
   * input while RUNNING returns the running execution; otherwise a reused name is
   * ExecutionAlreadyExists.
   */
  startExecution(stateMachineArn: string, name: string | undefined, input = '{}'): ExecutionRecord {
    const { def } = this.machine(stateMachineArn);
    const execName = name ?? randomBytes(16).toString('hex');
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(execName)) throw new SfnError('InvalidName', `Invalid Name: '${execName}'`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new SfnError('InvalidExecutionInput', 'Invalid execution input: not JSON');
    }
    const executionArn = `${def.arn.replace(':stateMachine:', ':execution:')}:${execName}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const x: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      name: execName,
      status: 'RUNNING',
      input,
      startDate: Date.now(),
      events: [],
    };
    this.executions.set(executionArn, x);
    this.launch(x, parsed);
    return x;
  }

  /**
   * RedriveExecution for a FAILED, ABORTED or TIMED_OUT execution, same ARN.
   * AWS resumes at the failed state; locally the run restarts from the first
   * state, which gives the same result because every task here is idempotent.
   */
  redriveExecution(executionArn: string): ExecutionRecord {
    const x = this.describeExecution(executionArn);
    if (!['FAILED', 'ABORTED', 'TIMED_OUT'].includes(x.status)) {
      throw new SfnError('ExecutionNotRedrivable', `Execution ${executionArn} is ${x.status} and cannot be redriven`);
    }
    Object.assign(x, {
      status: 'RUNNING',
      stopDate: undefined,
      output: undefined,
      error: undefined,
      cause: undefined,
      redriveCount: (x.redriveCount ?? 0) + 1,
    });
    this.addEvent(x, 'ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: x.redriveCount } });
    this.launch(x, JSON.parse(x.input), true);
    return x;
  }

  private launch(x: ExecutionRecord, input: unknown, redriven = false) {
    const { def, engine } = this.machine(x.stateMachineArn);
    const run = engine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers(def, x) as never,
        waitTimeOverrides: this.opts.waitOverrides,
      },
      context: {
        Execution: {
          Id: x.executionArn,
          Name: x.name,
          RoleArn: 'arn:aws:iam::000000000000:role/local',
          RedriveCount: x.redriveCount ?? 0,
        },
        StateMachine: { Id: def.arn, Name: def.name },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    this.aborts.set(x.executionArn, run.abort);
    const logging = this.recordEvents(x, run.eventLogs as AsyncGenerator<Record<string, unknown>>, redriven);
    const done = run.result.then(
      (output) => this.finish(x, 'SUCCEEDED', { output: JSON.stringify(output ?? null) }),
      (e: Error) => {
        if (x.status !== 'RUNNING') return; // stopped by StopExecution
        if (e.name === 'ExecutionAbortedError') return this.finish(x, 'ABORTED', {});
        if (e.name === 'ExecutionTimeoutError')
          return this.finish(x, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' });
        const inner = (e.cause ?? e) as Error;
        return this.finish(x, 'FAILED', { error: inner.name, cause: inner.message });
      },
    );
    this.settled.set(
      x.executionArn,
      Promise.all([done, logging]).then(() => undefined),
    );
  }

  private finish(x: ExecutionRecord, status: ExecutionStatus, f: { output?: string; error?: string; cause?: string }) {
    if (x.status !== 'RUNNING' || this.closing) return;
    Object.assign(x, { status, stopDate: Date.now() }, f);
    this.aborts.delete(x.executionArn);
    for (const [token, t] of this.tokens) if (t.executionArn === x.executionArn) this.closeToken(token);
    this.save();
  }

  /** The engine's event log, as Step Functions history events. */
  private async recordEvents(x: ExecutionRecord, logs: AsyncGenerator<Record<string, unknown>>, redriven: boolean) {
    for await (const ev of logs) {
      if (redriven && ev.type === 'ExecutionStarted') continue; // the history already has it
      const state = ev.state as { name: string; type: string; input?: unknown; output?: unknown } | undefined;
      switch (ev.type) {
        case 'ExecutionStarted':
          this.addEvent(x, 'ExecutionStarted', {
            executionStartedEventDetails: { input: x.input, roleArn: 'arn:aws:iam::000000000000:role/local' },
          });
          break;
        case 'StateEntered':
          this.addEvent(x, `${state!.type}StateEntered`, {
            stateEnteredEventDetails: { name: state!.name, input: JSON.stringify(state!.input ?? null) },
          });
          break;
        case 'StateExited':
          this.addEvent(x, `${state!.type}StateExited`, {
            stateExitedEventDetails: { name: state!.name, output: JSON.stringify(state!.output ?? null) },
          });
          break;
        case 'StateFailed':
          this.addEvent(x, state!.type === 'Task' ? 'TaskFailed' : `${state!.type}StateFailed`, {
            taskFailedEventDetails: {
              resourceType: 'lambda',
              resource: 'invoke',
              error: ev.Error,
              cause: String(ev.Cause ?? ''),
            },
          });
          break;
        case 'StateRetried':
          this.addEvent(x, 'TaskStateRetried', {
            name: state!.name,
            attempt: (ev.retry as { attempt: number }).attempt,
          });
          break;
        case 'ExecutionSucceeded':
          this.addEvent(x, 'ExecutionSucceeded', {
            executionSucceededEventDetails: { output: JSON.stringify(ev.output ?? null) },
          });
          break;
        case 'ExecutionFailed':
          this.addEvent(x, 'ExecutionFailed', {
            executionFailedEventDetails: { error: ev.Error, cause: String(ev.Cause ?? '') },
          });
          break;
        case 'ExecutionAborted':
          this.addEvent(x, 'ExecutionAborted', { executionAbortedEventDetails: {} });
          break;
        case 'ExecutionTimeout':
          this.addEvent(x, 'ExecutionTimedOut', { executionTimedOutEventDetails: {} });
          break;
        default:
          this.addEvent(x, String(ev.type), {});
      }
    }
  }

  private taskHandlers(def: LocalStateMachine, x: ExecutionRecord) {
    const lambdas = this.opts.lambdas;
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [name, state] of taskStates(def.definition)) {
      const resource = state.Resource ?? '';
      if (LAMBDA_ARN.test(resource)) {
        handlers[name] = async (input) => {
          try {
            return await lambdas.invoke(resource, input);
          } catch (e) {
            throw taskError(e);
          }
        };
        continue;
      }
      const callback = resource.endsWith('.waitForTaskToken');
      handlers[name] = async (params) => {
        const { FunctionName, Payload } = params as { FunctionName: string; Payload?: unknown };
        if (!callback) {
          try {
            const result = await lambdas.invoke(FunctionName, Payload);
            return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
          } catch (e) {
            throw taskError(e);
          }
        }
        const token = randomBytes(48).toString('base64url');
        const settledToken = this.awaitToken(token, x.executionArn, name, state);
        try {
          await lambdas.invoke(FunctionName, replaceDeep(Payload, TOKEN_PLACEHOLDER, token));
        } catch (e) {
          this.closeToken(token);
          throw taskError(e);
        }
        return settledToken;
      };
    }
    return handlers;
  }

  private awaitToken(token: string, executionArn: string, stateName: string, state: AslState): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const pending: PendingToken = {
        executionArn,
        stateName,
        expiresAt: state.TimeoutSeconds ? Date.now() + state.TimeoutSeconds * 1000 : undefined,
        resolve: (v) => {
          this.closeToken(token);
          clearTimeout(heartbeatTimer);
          resolve(v);
        },
        reject: (e) => {
          this.closeToken(token);
          clearTimeout(heartbeatTimer);
          reject(e);
        },
      };
      let heartbeatTimer: NodeJS.Timeout | undefined;
      if (state.HeartbeatSeconds) {
        const arm = () => {
          clearTimeout(heartbeatTimer);
          heartbeatTimer = setTimeout(() => {
            const e = new Error('States.HeartbeatTimeout');
            e.name = 'States.HeartbeatTimeout';
            pending.reject(e);
          }, state.HeartbeatSeconds! * 1000);
        };
        pending.heartbeat = arm;
        arm();
      }
      this.tokens.set(token, pending);
    });
  }

  private closeToken(token: string) {
    if (this.tokens.delete(token)) this.closedTokens.add(token);
  }

  private pendingToken(token: string): PendingToken {
    const t = this.tokens.get(token);
    if (!t && this.closedTokens.has(token))
      throw new SfnError('TaskTimedOut', 'Task Timed Out: the task for this token has already closed');
    if (!t) throw new SfnError('InvalidToken', 'Invalid Token');
    if (t.expiresAt && Date.now() > t.expiresAt) {
      this.closeToken(token);
      throw new SfnError('TaskTimedOut', 'Task Timed Out');
    }
    return t;
  }

  sendTaskSuccess(token: string, output: string) {
    const t = this.pendingToken(token);
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch {
      throw new SfnError('InvalidOutput', 'Invalid output: not JSON');
    }
    t.resolve(value);
  }

  sendTaskFailure(token: string, error = '', cause = '') {
    const t = this.pendingToken(token);
    const e = new Error(cause);
    e.name = error || 'States.TaskFailed';
    t.reject(e);
  }

  sendTaskHeartbeat(token: string) {
    this.pendingToken(token).heartbeat?.();
  }

  /** Callback tasks waiting now (a local convenience: AWS hides tokens). */
  pendingTasks(executionArn?: string) {
    return [...this.tokens]
      .filter(([, t]) => !executionArn || t.executionArn === executionArn)
      .map(([taskToken, t]) => ({ taskToken, executionArn: t.executionArn, stateName: t.stateName }));
  }

  describeExecution(executionArn: string): ExecutionRecord {
    const x = this.executions.get(executionArn);
    if (!x) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return x;
  }

  listExecutions(stateMachineArn: string, statusFilter?: string): ExecutionRecord[] {
    this.machine(stateMachineArn);
    return [...this.executions.values()]
      .filter((x) => x.stateMachineArn === stateMachineArn && (!statusFilter || x.status === statusFilter))
      .sort((a, b) => b.startDate - a.startDate);
  }

  stopExecution(executionArn: string, error?: string, cause?: string) {
    const x = this.describeExecution(executionArn);
    if (x.status !== 'RUNNING') return x;
    this.finish(x, 'ABORTED', { error, cause });
    this.addEvent(x, 'ExecutionAborted', { executionAbortedEventDetails: { error, cause } });
    this.aborts.get(executionArn)?.();
    return x;
  }

  /** Resolves when the execution has ended (tests and the CLI use it). */
  async waitFor(executionArn: string, timeoutMs = 60_000): Promise<ExecutionRecord> {
    const p = this.settled.get(executionArn);
    if (!p) return this.describeExecution(executionArn);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      p,
      new Promise(
        (_, rej) =>
          (timer = setTimeout(() => rej(new Error(`execution still running after ${timeoutMs} ms`)), timeoutMs)),
      ),
    ]);
    clearTimeout(timer);
    return this.describeExecution(executionArn);
  }

  /**
   * Shutdown: saves running executions as RUNNING, then stops them, so the next
   * start reports them as interrupted (as it does after a crash).
   */
  close() {
    this.flush();
    this.closing = true;
    for (const abort of this.aborts.values()) abort();
  }
}
