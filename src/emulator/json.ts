// The emulator's JSON values are the schema's (src/schema/json.ts).
export { type JsonValue, JsonValueSchema as jsonSchema } from "../schema/json";
