/**
 * Approximate top-N: an {@link org.collab4j.ann.ApproximateIndex} over a dot model's items, a hierarchical
 * navigable small-world graph linked and searched by inner product (the item bias one more coordinate), saved
 * beside the model
 * in the model file's checked container. The recommender asks it for candidates and rescores them with the
 * kernel, so that what it returns is scored and ordered exactly; docs/serving.md says when it falls back to exact
 * scoring. Depends on the kernel and the saved model only.
 */
package org.collab4j.ann;
