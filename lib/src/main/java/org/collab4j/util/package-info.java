/** Small utilities the other packages share: writing output files atomically, copying arrays to the heap. */
package org.collab4j.util;
