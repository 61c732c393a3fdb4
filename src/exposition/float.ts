/** Exact powers of ten up to 1e22: every one of them is representable, which the fast path relies on. */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** ASCII text of `b[s:e]`; callers only pass bytes already known to be ASCII. */
export function asciiString(b: Uint8Array, s: number, e: number): string {
  let out = "";
  for (let i = s; i < e; i += 4096) {
    out += String.fromCharCode.apply(null, b.subarray(i, Math.min(e, i + 4096)) as unknown as number[]);
  }
  return out;
}

function lower(c: number): number {
  return c | 0x20;
}

/** Length of the case-insensitive common prefix of `b[s:e]` and the lowercase ASCII word `w`. */
function prefixIgnoreCase(b: Uint8Array, s: number, e: number, w: string): number {
  let n = 0;
  while (n < w.length && s + n < e && lower(b[s + n] as number) === w.charCodeAt(n)) n++;
  return n;
}

/**
 * Parses `b[s:e]` as Go's `strconv.ParseFloat(s, 64)` restricted as Prometheus's `parseFloat` is (no
 * hex, no `_`): decimal with optional sign and exponent, `Inf`/`Infinity` with optional sign, `NaN`.
 * Returns `undefined` for a syntax error and for overflow (Go reports ErrRange there, which
 * Prometheus treats as a failed parse); underflow rounds to zero as in Go.
 */
export function parseGoFloat(b: Uint8Array, s: number, e: number): number | undefined {
  if (s >= e) return undefined;
  let i = s;
  let neg = false;
  let c = b[i] as number;
  if (c === 0x2b || c === 0x2d) {
    neg = c === 0x2d;
    i++;
    if (i === e) return undefined;
    c = b[i] as number;
  }
  const lc = lower(c);
  if (lc === 0x69) {
    // Go consumes "inf" or "infinity"; anything else after the sign is a syntax error.
    const n = prefixIgnoreCase(b, i, e, "infinity");
    const consumed = n === 8 ? 8 : n >= 3 ? 3 : 0;
    if (consumed === 0 || i + consumed !== e) return undefined;
    return neg ? -Infinity : Infinity;
  }
  if (lc === 0x6e) {
    if (i !== s || e - i !== 3 || prefixIgnoreCase(b, i, e, "nan") !== 3) return undefined;
    return NaN;
  }
  let mantissa = 0;
  let sigDigits = 0;
  let exp10 = 0;
  let sawDigits = false;
  let sawDot = false;
  for (; i < e; i++) {
    c = b[i] as number;
    if (c >= 0x30 && c <= 0x39) {
      sawDigits = true;
      if (mantissa === 0 && c === 0x30) {
        if (sawDot) exp10--;
        continue;
      }
      if (sigDigits < 19) {
        mantissa = mantissa * 10 + (c - 0x30);
        sigDigits++;
        if (sawDot) exp10--;
      } else {
        sigDigits++;
        if (!sawDot) exp10++;
      }
      continue;
    }
    if (c === 0x2e && !sawDot) {
      sawDot = true;
      continue;
    }
    break;
  }
  if (!sawDigits) return undefined;
  if (i < e) {
    if (lower(b[i] as number) !== 0x65) return undefined;
    i++;
    let expNeg = false;
    if (i < e && (b[i] === 0x2b || b[i] === 0x2d)) {
      expNeg = b[i] === 0x2d;
      i++;
    }
    if (i === e) return undefined;
    let x = 0;
    for (; i < e; i++) {
      c = b[i] as number;
      if (c < 0x30 || c > 0x39) return undefined;
      if (x < 100000) x = x * 10 + (c - 0x30);
    }
    exp10 += expNeg ? -x : x;
  }
  let v: number;
  if (mantissa === 0) {
    v = 0;
  } else if (sigDigits <= 15 && exp10 >= -22 && exp10 <= 22) {
    // Clinger's fast path: both operands are exact, so one IEEE operation rounds correctly.
    v = exp10 < 0 ? mantissa / (POW10[-exp10] as number) : mantissa * (POW10[exp10] as number);
  } else {
    v = Number(asciiString(b, neg || b[s] === 0x2b ? s + 1 : s, e));
    if (v === Infinity) return undefined;
  }
  if (v === Infinity) return undefined;
  return neg ? -v : v;
}

/**
 * Formats a float as Go's `strconv.FormatFloat(v, 'g', -1, 64)` with Prometheus's spellings of the
 * specials: shortest round-tripping digits, exponent form below 1e-4 and from 1e21 (`1e+06` style
 * from exponent 6 on, as Go's %g does for shortest output), `NaN`, `+Inf`, `-Inf`, `-0`.
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const sign = v < 0 ? "-" : "";
  const expStr = Math.abs(v).toExponential();
  const ePos = expStr.indexOf("e");
  const digits = expStr.slice(0, ePos).replace(".", "");
  const exp = Number(expStr.slice(ePos + 1));
  if (exp < -4 || exp >= 6) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const absExp = Math.abs(exp);
    return `${sign}${mant}e${exp < 0 ? "-" : "+"}${absExp < 10 ? "0" : ""}${absExp}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}
