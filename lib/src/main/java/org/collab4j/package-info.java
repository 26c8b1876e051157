/** Collab4J: collaborative filtering with embedding models on DJL. */
package org.collab4j;
