/** A valid, plainly synthetic personnummer (birth number 98x/99x) for the n-th test person. */
export function syntheticPersonnummer(n: number, birthYear = 1990): { personalIdentityNumber: string; birthDate: string } {
  const date = new Date(Date.UTC(birthYear, 0, 1 + (n % 3000)));
  const birthDate = date.toISOString().slice(0, 10);
  const nine = `${birthDate.replaceAll('-', '').slice(2)}${980 + (n % 20)}`;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  const check = (10 - (sum % 10)) % 10;
  return { personalIdentityNumber: `${birthDate.slice(0, 4)}${nine.slice(2)}${check}`, birthDate };
}
