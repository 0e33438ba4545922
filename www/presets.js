// Models the picker offers: the bundled one, served with the page, and real checkpoints of each
// supported family (BERT, DistilBERT, RoBERTa, XLM-RoBERTa, ELECTRA, ALBERT, DeBERTa-v3, ModernBERT) on the Hugging Face
// hub, with the size of the weights a first load downloads (then cached).

export const BUNDLED_MODEL = "./www/models/clozelab-tiny-bert/";

export const PRESETS = [
  { source: BUNDLED_MODEL, label: "clozelab-tiny-bert — bundled, simple everyday English (≈ 11 MB)" },
  { source: "google/bert_uncased_L-2_H-128_A-2", label: "BERT-tiny, uncased (2 layers; ≈ 18 MB)" },
  { source: "google/bert_uncased_L-4_H-256_A-4", label: "BERT-mini, uncased (4 layers; ≈ 45 MB)" },
  { source: "google/bert_uncased_L-8_H-512_A-8", label: "BERT-medium, uncased (8 layers; ≈ 167 MB)" },
  { source: "google-bert/bert-base-uncased", label: "BERT-base, uncased (12 layers; ≈ 440 MB)" },
  { source: "google-bert/bert-base-cased", label: "BERT-base, cased (12 layers; ≈ 436 MB)" },
  { source: "distilbert/distilbert-base-uncased", label: "DistilBERT-base, uncased (6 layers; ≈ 268 MB)" },
  { source: "FacebookAI/roberta-base", label: "RoBERTa-base (12 layers; ≈ 499 MB)" },
  { source: "FacebookAI/xlm-roberta-base", label: "XLM-RoBERTa-base, 100 languages (12 layers; ≈ 1.1 GB)" },
  { source: "google/electra-small-generator", label: "ELECTRA-small generator (12 layers; ≈ 54 MB)" },
  { source: "albert/albert-base-v2", label: "ALBERT-base v2 (12 layers sharing one; ≈ 47 MB)" },
  { source: "microsoft/deberta-v3-base", label: "DeBERTa-v3-base (12 layers; ≈ 371 MB)" },
  { source: "answerdotai/ModernBERT-base", label: "ModernBERT-base, cased (22 layers; ≈ 599 MB)" },
];

/**
 * Example sentences, each with the answers that count as sensible for the bundled model (a small
 * model of simple English: tests/browser/first_visit.test.mjs checks its top answer for every one, and that
 * every example the README and the docs quote is here).
 */
export const EXAMPLES = [
  { text: "The capital of France is [MASK].", answers: ["paris"] },
  { text: "What sound does a cow make? It [MASK].", answers: ["moos"] },
  { text: "The day after Monday is [MASK].", answers: ["tuesday"] },
  { text: "My mother's mother is my [MASK].", answers: ["grandmother"] },
  { text: "If you mix red and white, you get [MASK].", answers: ["pink"] },
  { text: "There is [MASK] umbrella in the picture.", answers: ["an"] },
  { text: "I brush my [MASK] every morning.", answers: ["teeth"] },
  { text: "The cat sat on the [MASK].", answers: ["table", "box", "bed"] },
];

/** A preset's short name ("BERT-base, uncased", "clozelab-tiny-bert"), or null for another source. */
export const presetName = (source) => PRESETS.find((p) => p.source === source)?.label.split(/ \(| — /)[0] ?? null;
