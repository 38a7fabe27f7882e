// Validates JSON files against an official schema:
//   node validate.js sarif FILE...   SARIF 2.1.0 (the OASIS schema, draft-04)
//   node validate.js har FILE...     HAR 1.2 (the har-schema package, draft-06)
// Exit 0 when all are valid; 1 with the errors when one is not; 2 on usage errors.
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

const [kind, ...files] = process.argv.slice(2);
if (!kinds[kind] || files.length === 0) {
  console.error("usage: node validate.js (" + Object.keys(kinds).join("|") + ") FILE...");
  process.exit(2);
}
const validate = kinds[kind]();
let bad = 0;
for (const file of files) {
  let data;
  try {
    data = JSON.parse(fs.readFileSync(path.resolve(file), "utf8"));
  } catch (e) {
    bad++;
    console.error(file + ": " + e.message);
    continue;
  }
  if (validate(data)) {
    console.log("valid " + kind + ": " + file);
    continue;
  }
  bad++;
  for (const e of validate.errors) {
    console.error(file + ": " + e.instancePath + " " + e.message + " " + JSON.stringify(e.params));
  }
}
process.exit(bad ? 1 : 0);
