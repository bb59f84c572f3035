/** One keyset page of a listing, as the API returns it. */
export interface Page<T> {
  readonly items: T[];
  /** The cursor for the next page, or null on the last. */
  readonly next: string | null;
}

/** Every page of a keyset listing, for callers that want all rows (the CLI's tables). */
export const allPages = async <T>(page: (after: string | undefined) => Promise<Page<T>>): Promise<T[]> => {
  const items: T[] = [];
  let after: string | undefined;
  for (;;) {
    const p = await page(after);
    items.push(...p.items);
    if (p.next === null) return items;
    after = p.next;
  }
};
