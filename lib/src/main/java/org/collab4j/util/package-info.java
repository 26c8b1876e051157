/** Small utilities the other packages share: writing output files atomically. */
package org.collab4j.util;
