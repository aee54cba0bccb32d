/**
 * For a shape the front end reads that the server infers (from a zod schema): the shape is written
 * out in api/src/shared/, and `type _ = Expect<SameType<Inferred, Written>>` next to the schema
 * makes tsc fail once the two differ in any way (mutual assignability would miss an added optional field).
 */
export type SameType<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export type Expect<T extends true> = T;
