/**
 * An emulation of IAM's evaluation of identity-based policies, for the local stack: enough of it to
 * decide what a function's role lets it do to DynamoDB. An explicit Deny wins, then any Allow whose
 * action, resource and conditions all match; otherwise the request is refused (implicit deny).
 * Condition operators it does not know make it throw rather than guess.
 */

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** One authorization question: may the principal do `action` on `resource`, given these context keys? */
export interface AuthorizationRequest {
  action: string;
  resource: string;
  /** Condition keys of the request (absent keys are simply missing). */
  context: Record<string, string[]>;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const globCache = new Map<string, RegExp>();
/** IAM's wildcards: `*` any run of characters, `?` any one character. */
const glob = (pattern: string, caseInsensitive: boolean): RegExp => {
  const id = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let re = globCache.get(id);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    globCache.set(id, re);
  }
  return re;
};

const actionMatches = (st: PolicyStatement, action: string): boolean => {
  if (st.NotAction !== undefined) return !list(st.NotAction).some((a) => glob(a, true).test(action));
  return list(st.Action).some((a) => glob(a, true).test(action));
};

const resourceMatches = (st: PolicyStatement, resource: string): boolean =>
  list(st.Resource).some((r) => glob(r, false).test(resource));

type Comparator = (value: string, policyValue: string) => boolean;
const COMPARATORS: Record<string, { compare: Comparator; negated: boolean }> = {
  StringEquals: { compare: (v, p) => v === p, negated: false },
  StringNotEquals: { compare: (v, p) => v === p, negated: true },
  StringLike: { compare: (v, p) => glob(p, false).test(v), negated: false },
  StringNotLike: { compare: (v, p) => glob(p, false).test(v), negated: true },
};

/** One condition operator on one key (values within a key are ORed, as in IAM). */
const conditionHolds = (operator: string, key: string, policyValues: string[], request: AuthorizationRequest) => {
  const values = request.context[key];
  if (operator === 'Null') {
    const wantsAbsent = policyValues.some((v) => v === 'true');
    return wantsAbsent ? values === undefined : values !== undefined;
  }
  const [qualifier, base] = operator.includes(':') ? operator.split(':', 2) : [undefined, operator];
  const cmp = COMPARATORS[base!.replace(/IfExists$/, '')];
  if (!cmp) throw new Error(`the local IAM emulation does not support the condition operator ${operator}`);
  const ifExists = base!.endsWith('IfExists');
  const matchesOne = (v: string) => policyValues.some((p) => cmp.compare(v, p));
  if (qualifier === 'ForAllValues') {
    // True when every value of the request matches; also when the request has no value at all.
    return (values ?? []).every((v) => (cmp.negated ? !matchesOne(v) : matchesOne(v)));
  }
  if (qualifier === 'ForAnyValue') {
    return (values ?? []).some((v) => (cmp.negated ? !matchesOne(v) : matchesOne(v)));
  }
  if (qualifier !== undefined) throw new Error(`the local IAM emulation does not support ${operator}`);
  if (values === undefined) return ifExists || cmp.negated;
  if (values.length !== 1) return false; // a single-valued operator on a multivalued key never matches
  return cmp.negated ? !matchesOne(values[0]!) : matchesOne(values[0]!);
};

const conditionsHold = (st: PolicyStatement, request: AuthorizationRequest): boolean =>
  Object.entries(st.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, v]) => conditionHolds(operator, key, list(v), request)),
  );

const applies = (st: PolicyStatement, request: AuthorizationRequest) =>
  actionMatches(st, request.action) && resourceMatches(st, request.resource) && conditionsHold(st, request);

export type Decision = 'ALLOW' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY';

export const evaluate = (statements: readonly PolicyStatement[], request: AuthorizationRequest): Decision => {
  if (statements.some((st) => st.Effect === 'Deny' && applies(st, request))) return 'EXPLICIT_DENY';
  return statements.some((st) => st.Effect === 'Allow' && applies(st, request)) ? 'ALLOW' : 'IMPLICIT_DENY';
};
