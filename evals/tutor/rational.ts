// Exact rational numbers for tutor answers: the generator computes with them and the grader compares with them,
// so 0.1 + 0.2 is 3/10 and never 0.30000000000000004.

export interface Rational {
  /** Numerator; carries the sign. */
  readonly n: bigint;
  /** Denominator; always positive, and coprime with the numerator. */
  readonly d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) {
    const r = a % b;
    a = b;
    b = r;
  }
  return a;
}

export function rational(n: bigint | number, d: bigint | number = 1n): Rational {
  let num = BigInt(n);
  let den = BigInt(d);
  if (den === 0n) throw new RangeError('denominator is zero');
  if (den === 1n) return { n: num, d: den }; // an integer, as most numbers read are: nothing to reduce
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den) || 1n;
  return { n: num / g, d: den / g };
}

export const add = (a: Rational, b: Rational): Rational => rational(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => rational(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => rational(a.n * b.n, a.d * b.d);
export const div = (a: Rational, b: Rational): Rational => rational(a.n * b.d, a.d * b.n);
export const equals = (a: Rational, b: Rational): boolean => a.n === b.n && a.d === b.d;
export const compare = (a: Rational, b: Rational): number => {
  const diff = a.n * b.d - b.n * a.d;
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
};
export const isInteger = (a: Rational): boolean => a.d === 1n;

/** How many decimal places the exact decimal form needs, or undefined when it never terminates (1/3). */
export function decimalPlaces(a: Rational): number | undefined {
  let d = a.d;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) [d, twos] = [d / 2n, twos + 1];
  while (d % 5n === 0n) [d, fives] = [d / 5n, fives + 1];
  return d === 1n ? Math.max(twos, fives) : undefined;
}

/** Parses the canonical answer forms: "42", "12.5", "3/4". */
export function parseRational(text: string): Rational {
  const fraction = /^(\d+)\/(\d+)$/.exec(text);
  if (fraction) return rational(BigInt(fraction[1]), BigInt(fraction[2]));
  const decimal = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!decimal) throw new RangeError(`"${text}" is not a number in the form 42, 12.5 or 3/4`);
  const places = decimal[2] ?? '';
  return rational(BigInt(decimal[1] + places), 10n ** BigInt(places.length));
}

/** The canonical string: an integer, else the shortest exact decimal, else a reduced fraction. */
export function formatRational(a: Rational): string {
  if (a.d === 1n) return a.n.toString();
  const places = decimalPlaces(a);
  if (places === undefined) return `${a.n}/${a.d}`;
  const negative = a.n < 0n;
  const scaled = ((negative ? -a.n : a.n) * 10n ** BigInt(places)) / a.d;
  const digits = scaled.toString().padStart(places + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/** True when `a` rounded or cut to `places` decimals could be written as `shown` (1/3 → 0.33, 2/3 → 0.67 or 0.66). */
export function approximates(shown: Rational, a: Rational, places: number): boolean {
  const scale = 10n ** BigInt(places);
  const scaled = a.n * scale;
  const floor = scaled / a.d - (scaled % a.d !== 0n && scaled < 0n ? 1n : 0n);
  return equals(shown, rational(floor, scale)) || equals(shown, rational(floor + 1n, scale));
}

/**
 * The exact value of plain arithmetic (decimals, + - * / ^, parentheses; `^` binds tighter than a sign, to the right),
 * or undefined when `text` is anything else, divides by zero or raises to a fraction. A grammar this small is a few
 * lines here; mathjs, which did it before, took half a second of CPU to load in every process that graded a tutor item.
 */
export function evaluateArithmetic(text: string): Rational | undefined {
  const tokens = text.match(/\d+(?:\.\d+)?|[-+*/^()]|\S/g) ?? [];
  let at = 0;
  const take = (token: string): boolean => (tokens[at] === token ? (at++, true) : false);
  const expression = (): Rational => {
    let value = term();
    for (;;) {
      if (take('+')) value = add(value, term());
      else if (take('-')) value = sub(value, term());
      else return value;
    }
  };
  const term = (): Rational => {
    let value = signed();
    for (;;) {
      if (take('*')) value = mul(value, signed());
      else if (take('/')) value = div(value, signed());
      else return value;
    }
  };
  const signed = (): Rational => (take('-') ? mul(rational(-1), signed()) : take('+') ? signed() : power());
  const power = (): Rational => {
    const base = primary();
    if (!take('^')) return base;
    const exponent = signed();
    if (exponent.d !== 1n || exponent.n > 1000n || exponent.n < -1000n) throw new RangeError('not a small whole exponent');
    const e = exponent.n < 0n ? -exponent.n : exponent.n;
    const raised = rational(base.n ** e, base.d ** e);
    return exponent.n < 0n ? div(rational(1), raised) : raised;
  };
  const primary = (): Rational => {
    if (take('(')) {
      const value = expression();
      if (!take(')')) throw new SyntaxError('unclosed parenthesis');
      return value;
    }
    const token = tokens[at++];
    if (token === undefined || !/^\d/.test(token)) throw new SyntaxError('a number expected');
    return parseRational(token);
  };
  try {
    const value = expression();
    return at === tokens.length ? value : undefined;
  } catch {
    return undefined;
  }
}
