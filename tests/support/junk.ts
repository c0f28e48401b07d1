/** Deterministic pseudo-random text, so a failure reproduces. */
export function junk(length: number, alphabet: string): string {
  let state = 20240305;
  const chars: string[] = [];
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    chars.push(alphabet[state % alphabet.length]!);
  }
  return chars.join("");
}
