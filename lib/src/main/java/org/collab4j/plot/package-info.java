/** Charts of training and models, rendered to PNG with XChart. */
package org.collab4j.plot;
