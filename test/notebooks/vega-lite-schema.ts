/** Validation of chart specs against the Vega-Lite v5 JSON schema (shared by the notebook tests). */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";

let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(new URL("./schema/vega-lite-v5.schema.json", import.meta.url), "utf8")) as object;
  // The schema is draft-07 and uses union types; `strict: false` accepts its documentation-only keywords.
  const ajv = new Ajv({ allErrors: false, strict: false, allowUnionTypes: true, validateFormats: false });
  validator = ajv.compile(schema);
  return validator;
}

/** Schema errors of `spec`, formatted one per line (empty when valid). */
export function vegaLiteV5Errors(spec: unknown): string[] {
  const validate = getValidator();
  if (validate(spec)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}
