import type { JsonSchema } from './configJsonSchema.js';

// README.md's configuration table, one row per option, read off the JSON Schema: the key path
// (nested keys dotted, a map's key as a <placeholder>), its type, its default and what it does.

/** What a map's keys stand for, by the map's key path. */
const MAP_KEYS: Record<string, string> = {
  subgraphs: '<name>',
  'broker.callers': '<client id>',
  'broker.callers.<client id>.targets': '<target>',
  'admin.teams': '<client id>',
  'limits.listSizes': '<Type.field>',
};

interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => code(String(value))).join(' | ');
  // A flag: a YAML boolean, or "true"/"false" from an environment variable.
  if (schema.anyOf) return schema.anyOf.some((option) => option.type === 'boolean') ? 'boolean' : schema.anyOf.map(typeOf).join(' or ');
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'any'}`;
  if (schema.format === 'uri') return 'URL';
  return schema.type ?? 'any';
}

function isMap(schema: JsonSchema): schema is JsonSchema & { additionalProperties: JsonSchema } {
  return typeof schema.additionalProperties === 'object';
}

/** The row of one option; `presentWith` names the optional object it sits in, if any. */
function row(key: string, schema: JsonSchema, required: boolean, presentWith: string | undefined): Row {
  // A default that is not a literal is the description's last sentence, "Default: ...".
  const [description, defaultText] = (schema.description ?? '').split(/\s*Default: /);
  let defaultCell = defaultText?.replace(/\.$/, '') ?? '';
  if (!defaultText && schema.default !== undefined) defaultCell = JSON.stringify(schema.default) === '{}' ? 'none' : code(typeof schema.default === 'string' ? schema.default : JSON.stringify(schema.default));
  if (!defaultText && required) defaultCell = presentWith ? `required with ${code(presentWith)}` : 'required';
  return { key: code(key), type: typeOf(isMap(schema) ? schema.additionalProperties : schema), default: defaultCell, description };
}

function rows(schema: JsonSchema, path: string, presentWith: string | undefined): Row[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, child]) => {
    const key = path ? `${path}.${name}` : name;
    const required = schema.required?.includes(name) ?? false;
    // An optional object without a default is absent unless written: its required keys are required only with it.
    const childPresentWith = required || child.default !== undefined ? presentWith : key;
    // An optional object gets a row of its own: writing it is a choice (e.g. a listener of its own).
    if (child.properties) return [...(childPresentWith === key ? [row(key, child, false, undefined)] : []), ...rows(child, key, childPresentWith)];
    if (isMap(child) && child.additionalProperties.properties) {
      const entry = `${key}.${MAP_KEYS[key] ?? '<key>'}`;
      return [row(entry, { ...child, type: 'object' }, false, undefined), ...rows(child.additionalProperties, entry, undefined)];
    }
    return [row(isMap(child) ? `${key}.${MAP_KEYS[key] ?? '<key>'}` : key, child, required, presentWith)];
  });
}

/** The Markdown table of every option of the configuration schema. */
export function configTable(schema: JsonSchema): string {
  const lines = rows(schema, '', undefined).map((option) => `| ${[option.key, option.type, option.default, option.description].map(cell).join(' | ')} |`);
  return ['| key | type | default | description |', '|---|---|---|---|', ...lines].join('\n');
}
