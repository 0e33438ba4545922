// The Train panel says what to change in the words of its own labels.

import { test } from "node:test";
import assert from "node:assert/strict";

import { inPanelWords } from "../../www/train_panel.js";

test("a training error names the panel's box, not the API's option", () => {
  assert.equal(inPanelWords("batchSize must be a whole number of at least 1, not 0"), '"Batch size" must be a whole number of at least 1, not 0');
  assert.equal(inPanelWords("learningRate must be a positive number, not -1"), '"Learning rate" must be a positive number, not -1');
  assert.equal(inPanelWords("maxGradNorm must be a positive number (or 0 for no clipping), not NaN"), '"Clip gradients at" must be a positive number (or 0 for no clipping), not NaN');
  assert.equal(inPanelWords("the training diverged after 12 steps: lower the learning rate"), "the training diverged after 12 steps: lower the learning rate", "other words stay");
  assert.equal(inPanelWords(null), null);
});
