/** Kubernetes label syntax (keys `[prefix/]name`, values up to 63 characters) and reading a `labels:` mapping from a topology file. */
import { isMap, isScalar, type Node } from 'yaml';
import type { SpecReader } from './topologyYaml';

// A label name or value: alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric.
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
// The optional prefix is a DNS subdomain: dot-separated RFC 1123 labels.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const MAX_NAME = 63;
const MAX_PREFIX = 253;

/** The most labels one Pod or selector may carry in the lab. */
export const MAX_LABELS = 64;

/** What is wrong with a label key, or undefined when Kubernetes would accept it. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0) return `label key '${key}' has an empty prefix before "/"`;
    if (prefix.length > MAX_PREFIX) return `the prefix of label key '${key}' is ${prefix.length} characters long; the limit is ${MAX_PREFIX}`;
    if (!DNS_SUBDOMAIN.test(prefix)) return `the prefix '${prefix}' of label key '${key}' is not a DNS subdomain (lowercase letters, digits, "-" and ".")`;
  }
  if (name.length === 0) return `label key '${key}' has no name`;
  if (name.length > MAX_NAME) return `the name part of label key '${key}' is ${name.length} characters long; the limit is ${MAX_NAME}`;
  if (!LABEL_NAME.test(name)) return `label key '${key}' is not valid: its name may hold letters, digits, "-", "_" and ".", and must start and end with a letter or digit`;
  return undefined;
}

/** What is wrong with a label value (it may be empty), or undefined when Kubernetes would accept it. */
export function labelValueProblem(key: string, value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > MAX_NAME) return `the value of label '${key}' is ${value.length} characters long; the limit is ${MAX_NAME}`;
  if (!LABEL_NAME.test(value)) return `the value '${value}' of label '${key}' is not valid: it may hold letters, digits, "-", "_" and ".", and must start and end with a letter or digit`;
  return undefined;
}

/** The first problem of a label set, with the key it concerns; undefined when every key and value is valid. */
export function labelsProblem(labels: Record<string, string>): { key: string; problem: string } | undefined {
  const keys = Object.keys(labels);
  if (keys.length > MAX_LABELS) return { key: keys[MAX_LABELS], problem: `${keys.length} labels is more than the lab limit of ${MAX_LABELS}` };
  for (const key of keys) {
    const value = labels[key];
    const problem = labelKeyProblem(key) ?? (typeof value === 'string' ? labelValueProblem(key, value) : `the value of label '${key}' must be a string`);
    if (problem) return { key, problem };
  }
  return undefined;
}

const LABEL_HINT = 'write labels like app: web or app.kubernetes.io/name: web; quote values YAML reads as numbers or booleans ("2", "true")';

/** Reads a `labels:`-style mapping of strings at `path`, checking Kubernetes syntax; problems go to `r`. */
export function readLabels(r: SpecReader, node: Node | undefined, path: string): Record<string, string> | undefined {
  if (node === undefined) return undefined;
  if (!isMap(node)) {
    // A list under a Service's selector is most likely meant as Pod names, which go in the Service's `pods:` key.
    const hint = !isScalar(node) && path.endsWith('.selector') ? 'write it like `{app: web}`, or list Pod names under `pods:` instead' : 'write it like `{app: web}`';
    r.fail(path, `${path} must be a mapping of label keys to values, got ${isScalar(node) ? `'${String(node.value)}'` : 'a list'}`, hint);
    return undefined;
  }
  const labels: Record<string, string> = {};
  for (const pair of node.items) {
    const keyNode = pair.key as Node | undefined;
    const key = isScalar(keyNode) && typeof keyNode.value === 'string' ? keyNode.value : undefined;
    const field = `${path}.${key ?? '?'}`;
    r.remember(field, keyNode);
    const value = pair.value === null ? '' : isScalar(pair.value) && (pair.value.value === null || typeof pair.value.value === 'string') ? String(pair.value.value ?? '') : undefined;
    if (key === undefined) {
      r.fail(field, `label key ${isScalar(keyNode) ? String(keyNode.value) : '?'} in ${path} must be a string`, LABEL_HINT);
      continue;
    }
    if (value === undefined) {
      r.fail(field, `the value of label '${key}' must be a string, got ${isScalar(pair.value) ? String(pair.value.value) : 'a mapping or list'}`, LABEL_HINT);
      continue;
    }
    const problem = labelKeyProblem(key) ?? labelValueProblem(key, value);
    if (problem) r.fail(field, problem, LABEL_HINT);
    labels[key] = value;
  }
  if (Object.keys(labels).length > MAX_LABELS) r.fail(path, `${path} has ${Object.keys(labels).length} labels; the lab limit is ${MAX_LABELS}`, 'keep the labels a selector needs');
  return labels;
}
