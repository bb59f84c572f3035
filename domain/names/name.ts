/**
 * What a person calls a thing, beside the id machines keep. Tables are typed `Record<Id, Name>`
 * over the domain's own id lists, so a new role, stage or event without a name does not compile.
 */
export interface Name {
  readonly zh: string;
  readonly en: string;
}

export type NameTable<K extends string> = Readonly<Record<K, Name>>;

/** The Chinese name of an id, or the id itself when the table does not know it (an old stored value). */
export const zhOf = <K extends string>(table: NameTable<K>, id: string): string => (Object.hasOwn(table, id) ? table[id as K].zh : id);

export const enOf = <K extends string>(table: NameTable<K>, id: string): string => (Object.hasOwn(table, id) ? table[id as K].en : id);

/** "嵩县（song）": the name people read with the id machines and scripts use. */
export const zhWithId = <K extends string>(table: NameTable<K>, id: string): string => (Object.hasOwn(table, id) ? `${table[id as K].zh}（${id}）` : id);

/** Finds an id by the id itself, its Chinese name or its English name (any case), for people typing. */
export const idByName = <K extends string>(table: NameTable<K>, name: string): K | undefined => {
  const s = name.trim();
  if (Object.hasOwn(table, s)) return s as K;
  const lower = s.toLowerCase();
  return (Object.keys(table) as K[]).find((k) => table[k].zh === s || table[k].en.toLowerCase() === lower);
};

/** "乡镇干部、县级干部": a list of names as a Chinese sentence lists them. */
export const zhList = <K extends string>(table: NameTable<K>, ids: readonly string[]): string => ids.map((id) => zhOf(table, id)).join('、');
