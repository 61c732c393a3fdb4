/**
 * Go's `fmt` float verbs (`%g`, `%.Ng`, `%f`) for the texts Prometheus builds with them: annotation
 * messages and evaluation errors. JavaScript's own conversions round halfway cases away from zero
 * and switch to exponent notation at other thresholds, so the digits are taken from the exact
 * binary value and rounded half to even, as Go's strconv does.
 */

/** The decimal digits of a positive finite value: value = 0.<digits> × 10^dp, no leading or trailing zeros. */
interface Digits {
  digits: string;
  dp: number;
}

/** `%g` (`precision` < 0: shortest round-trip digits) or `%.<precision>g`, with Go's `+Inf`/`-Inf`/`NaN`. */
export function formatGoG(x: number, precision = -1): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  const shortest = precision < 0;
  let d: Digits;
  let prec: number;
  if (shortest) {
    d = shortestDigits(Math.abs(x));
    prec = d.digits.length;
  } else {
    prec = precision === 0 ? 1 : precision;
    d = roundDigits(exactDigits(Math.abs(x)), prec);
  }
  let eprec = prec;
  if (eprec > d.digits.length && d.digits.length >= d.dp) eprec = d.digits.length;
  if (shortest) eprec = 6;
  const exp = d.dp - 1;
  if (exp < -4 || exp >= eprec) {
    return fmtE(neg, d, Math.min(prec, d.digits.length) - 1);
  }
  if (prec > d.dp) prec = d.digits.length;
  return fmtF(neg, d, Math.max(prec - d.dp, 0));
}

/** `%.<precision>f` (Go prints every integer digit of large values, never an exponent). */
export function formatGoF(x: number, precision: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  const neg = x < 0 || Object.is(x, -0);
  const exact = exactDigits(Math.abs(x));
  return fmtF(neg, roundDigits(exact, exact.dp + precision), precision);
}

function shortestDigits(x: number): Digits {
  if (x === 0) return { digits: "", dp: 0 };
  // toExponential without an argument yields the shortest digits that read back as x.
  const s = x.toExponential();
  const e = s.indexOf("e");
  const digits = s.slice(0, e).replace(".", "");
  return { digits: trimZeros(digits), dp: Number(s.slice(e + 1)) + 1 };
}

/** The exact decimal expansion of a finite non-negative double. */
function exactDigits(x: number): Digits {
  if (x === 0) return { digits: "", dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (biased === 0) {
    exp2 = -1074;
  } else {
    mantissa |= 1n << 52n;
    exp2 = biased - 1075;
  }
  let digits: string;
  let dp: number;
  if (exp2 >= 0) {
    digits = (mantissa << BigInt(exp2)).toString();
    dp = digits.length;
  } else {
    // m × 2^-k = m × 5^k / 10^k
    digits = (mantissa * 5n ** BigInt(-exp2)).toString();
    dp = digits.length + exp2;
  }
  const stripped = digits.replace(/^0+/, "");
  return { digits: trimZeros(stripped), dp: dp - (digits.length - stripped.length) };
}

/** Rounds to `nd` significant digits, halfway cases to even (Go's decimal.Round). */
function roundDigits(d: Digits, nd: number): Digits {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === d.digits.length) {
    up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  } else {
    up = next >= 5;
  }
  if (!up) return { digits: trimZeros(d.digits.slice(0, nd)), dp: d.dp };
  let i = nd - 1;
  while (i >= 0 && d.digits[i] === "9") i--;
  if (i < 0) return { digits: "1", dp: d.dp + 1 };
  const bumped = d.digits.slice(0, i) + String.fromCharCode(d.digits.charCodeAt(i) + 1);
  return { digits: bumped, dp: d.dp };
}

function trimZeros(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  return s.slice(0, end);
}

function fmtE(neg: boolean, d: Digits, prec: number): string {
  let out = neg ? "-" : "";
  out += d.digits.length === 0 ? "0" : (d.digits[0] as string);
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) out += i < d.digits.length ? d.digits[i] : "0";
  }
  let exp = d.digits.length === 0 ? 0 : d.dp - 1;
  out += exp < 0 ? "e-" : "e+";
  if (exp < 0) exp = -exp;
  return out + (exp < 10 ? "0" : "") + String(exp);
}

function fmtF(neg: boolean, d: Digits, prec: number): string {
  let out = neg ? "-" : "";
  if (d.dp > 0) {
    out += d.digits.slice(0, d.dp);
    for (let i = d.digits.length; i < d.dp; i++) out += "0";
  } else {
    out += "0";
  }
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) {
      const j = d.dp + i - 1;
      out += j >= 0 && j < d.digits.length ? d.digits[j] : "0";
    }
  }
  return out;
}
