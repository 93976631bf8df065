/** asl-validator 4.x ships no types: what test/unit/infra/sweep.test.ts uses of it. */
declare module 'asl-validator' {
  interface AslValidation {
    readonly isValid: boolean;
    readonly errors: readonly { readonly message?: string }[];
    errorsText(separator?: string): string;
  }
  const aslValidator: (definition: unknown) => AslValidation;
  export default aslValidator;
}
