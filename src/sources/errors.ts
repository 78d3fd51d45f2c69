/** Input that cannot be read as a profile. `format` names the importer, so the panel can say which shape it expected. */
export class ProfileImportError extends Error {
  readonly format: string;

  constructor(format: string, message: string) {
    super(`${format}: ${message}`);
    this.name = 'ProfileImportError';
    this.format = format;
  }
}
