// The index reader answers matchers with the same postings operations as the in-memory storage.
export { intersectPostings, mergePostings, subtractPostings } from "../../storage/index.js";
export type { Postings } from "../../storage/index.js";
