/**
 * An input schema that depends on today's date (a date may not be in the future), built once a day
 * rather than on every request: building a zod schema cost about 8 % of a note write's CPU.
 */
export function dailySchema<S>(build: (today: string) => S): (today: string) => S {
  let builtFor: string | undefined;
  let schema: S | undefined;
  return (today) => {
    if (today !== builtFor || schema === undefined) {
      schema = build(today);
      builtFor = today;
    }
    return schema;
  };
}
