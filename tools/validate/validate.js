// Validates a JSON file against an official schema: node validate.js sarif FILE
// Exit 0 when valid; 1 with the errors when not; 2 on usage errors.
"use strict";
const fs = require("fs");
const path = require("path");

const schemas = {
  sarif: () => require("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"),
};

const [kind, file] = process.argv.slice(2);
if (!schemas[kind] || !file) {
  console.error("usage: node validate.js (" + Object.keys(schemas).join("|") + ") FILE");
  process.exit(2);
}
const schema = schemas[kind]();
// The SARIF 2.1.0 schema is JSON Schema draft-04.
const Ajv = require("ajv-draft-04");
const addFormats = require("ajv-formats");
// unicodeRegExp: false because the published SARIF schema has a pattern that is
// invalid in unicode mode ("[a-zA-Z]{2}]?").
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);
const data = JSON.parse(fs.readFileSync(path.resolve(file), "utf8"));
if (validate(data)) {
  console.log("valid " + kind + ": " + file);
  process.exit(0);
}
for (const e of validate.errors) {
  console.error(e.instancePath + " " + e.message + " " + JSON.stringify(e.params));
}
process.exit(1);
