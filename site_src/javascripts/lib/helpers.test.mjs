// Helpers of the unit tests (no tests here): seeded random cases, and decimal numbers compared
// by value as Python's Decimal compares them.

/** A seeded pseudo-random generator (mulberry32): the same cases on every run. */
export function seeded(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    random: next,
    int: (low, high) => low + Math.floor(next() * (high - low + 1)),
    choice: (list) => list[Math.floor(next() * list.length)],
  };
}

/**
 * A decimal number's text in one canonical form ("-12.5E+3" and "-12500" give the same), so
 * that two texts compare as Python's Decimal values compare.
 */
export function canonicalDecimal(text) {
  const match = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return `not a decimal: ${text}`;
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  let digits = (whole + fraction).replace(/^0+/, "");
  let power = Number(exponent) - fraction.length;
  if (digits === "") return "0";
  const trailing = /0*$/.exec(digits)[0].length;
  digits = digits.slice(0, digits.length - trailing);
  power += trailing;
  return `${sign === "-" ? "-" : ""}${digits}e${power}`;
}
