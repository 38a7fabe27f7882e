// Validates a JSON file against an official schema:
//   node validate.js sarif FILE   SARIF 2.1.0 (the OASIS schema, draft-04)
//   node validate.js har FILE     HAR 1.2 (the har-schema package, draft-06)
// Exit 0 when valid; 1 with the errors when not; 2 on usage errors.
"use strict";
const fs = require("fs");
const path = require("path");
const addFormats = require("ajv-formats");

const kinds = {
  sarif: () => {
    // The SARIF 2.1.0 schema is JSON Schema draft-04.
    const Ajv = require("ajv-draft-04");
    // unicodeRegExp: false because the published SARIF schema has a pattern that is
    // invalid in unicode mode ("[a-zA-Z]{2}]?").
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    return ajv.compile(require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"));
  },
  har: () => {
    // har-schema is draft-06, split in one file per object that refer to each
    // other by $id ("request.json#"). strict: false because it uses keywords
    // that are not JSON Schema ("min", "optional", "unique"): they are ignored,
    // as by every validator of this schema.
    const Ajv = require("ajv");
    const ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
    addFormats(ajv);
    const schemas = require("har-schema");
    for (const name of Object.keys(schemas)) {
      ajv.addSchema(schemas[name]);
    }
    return ajv.getSchema("har.json#");
  },
};

const [kind, file] = process.argv.slice(2);
if (!kinds[kind] || !file) {
  console.error("usage: node validate.js (" + Object.keys(kinds).join("|") + ") FILE");
  process.exit(2);
}
const validate = kinds[kind]();
const data = JSON.parse(fs.readFileSync(path.resolve(file), "utf8"));
if (validate(data)) {
  console.log("valid " + kind + ": " + file);
  process.exit(0);
}
for (const e of validate.errors) {
  console.error(e.instancePath + " " + e.message + " " + JSON.stringify(e.params));
}
process.exit(1);
