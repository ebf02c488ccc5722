/** `--size N` from argv, else `fallback`. */
export function sizeArg(fallback: number): number {
  const i = process.argv.indexOf("--size");
  const n = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(n) || n < 1) throw new Error("--size must be a positive integer");
  return n;
}

/** A fresh migrated database on DATABASE_URL's server, or on a throwaway embedded Postgres. */
export { benchDatabase } from "./database";

const FIRST = [
  "João",
  "Maria",
  "José",
  "Ana",
  "Antônio",
  "Francisca",
  "Carlos",
  "Luíza",
  "Paulo",
  "Fernanda",
  "Lucas",
  "Júlia",
  "Marcos",
  "Patrícia",
  "Rafael",
  "Conceição",
];
const LAST = [
  "Silva",
  "Santos",
  "Oliveira",
  "Souza",
  "Rodrigues",
  "Ferreira",
  "Alves",
  "Pereira",
  "Lima",
  "Gomes",
  "Araújo",
  "Ribeiro",
  "Carvalho",
  "Mendonça",
];
const DDD = [11, 21, 31, 41, 51, 61, 71, 81, 85, 91, 27, 48, 62, 19];

/** Deterministic pseudo-random generator (mulberry32): the same file for the same size. */
export function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A phone written the many ways Brazilian spreadsheets do; `i` makes it unique. */
export function messyPhone(i: number, r: () => number): string {
  const ddd = DDD[i % DDD.length] ?? 11;
  const sub = String(10_000_000 + ((i * 7919) % 89_999_999)).padStart(8, "0");
  const a = sub.slice(0, 4);
  const b = sub.slice(4);
  switch (Math.floor(r() * 7)) {
    case 0:
      return `(${ddd}) 9${a}-${b}`;
    case 1:
      return `${ddd}9${sub}`;
    case 2:
      return `+55 ${ddd} 9${a} ${b}`;
    case 3:
      return `55${ddd}9${sub}`;
    case 4:
      return `(${ddd}) ${a.replace(/^./, "8")}-${b}`; // old mobile, no ninth digit
    case 5:
      return `0${ddd} 9${a}.${b}`;
    default:
      return `+55 (${ddd}) 9 ${a}-${b}`;
  }
}

const BAD = ["", "abc", "123", "(11) 1234", "sem telefone", "+55 00 0000-0000", "99999999999999999"];

/** CSV text lines (semicolon, header first) with realistic rows and about 2% bad phones. */
export function* messyCsv(rows: number, seed = 42): Generator<string> {
  const r = rng(seed);
  yield "Nome;Telefone;E-mail;Tags;Cidade;Observação\r\n";
  let chunk = "";
  for (let i = 0; i < rows; i++) {
    const first = FIRST[Math.floor(r() * FIRST.length)] ?? "Ana";
    const last = LAST[Math.floor(r() * LAST.length)] ?? "Silva";
    const phone = r() < 0.02 ? (BAD[Math.floor(r() * BAD.length)] ?? "") : messyPhone(i, r);
    const email = r() < 0.6 ? `${first}.${last}${i}@exemplo.com.br`.toLowerCase() : "";
    const tags = r() < 0.3 ? "cliente,vip" : r() < 0.5 ? "lead" : "";
    const note = r() < 0.1 ? `"Disse ""ligar depois""; preferência: tarde"` : "";
    chunk += `${first} ${last};${phone};${email};${tags};São Paulo;${note}\r\n`;
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}
