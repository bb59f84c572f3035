/**
 * Why an import was refused. A file is all or nothing: every bad row is listed (line and field),
 * and nothing is written. Messages never carry an ID number, only its position in the row.
 */
export interface RowError {
  /** 1-based line in the file (CSV: the physical line, header = 1; JSON: where the item starts). */
  readonly line: number;
  /** 1-based position of the household among the file's rows. */
  readonly row: number;
  /** e.g. `members[1].idNumber`, `perCapitaIncome`. */
  readonly field: string;
  readonly code: string;
  readonly message: string;
}

export class RegistryError extends Error {
  constructor(
    readonly code: 'REGISTRY_FILE_INVALID' | 'REGISTRY_FILE_TOO_LARGE' | 'REGISTRY_ROWS_INVALID' | 'REGISTRY_DUPLICATE' | 'REGISTRY_NOT_BASELINE' | 'REGISTRY_IMPORT_BUSY',
    message: string,
    readonly rows: readonly RowError[] = [],
  ) {
    super(rows.length === 0 ? message : `${message}\n${rows.map(formatRowError).join('\n')}`);
    this.name = 'RegistryError';
  }
}

export const formatRowError = (e: RowError): string => `  line ${e.line} (row ${e.row}) ${e.field}: [${e.code}] ${e.message}`;
