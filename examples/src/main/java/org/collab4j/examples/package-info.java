/**
 * Runnable examples: {@code java -jar examples/target/collab4j-examples.jar COMMAND}. {@link
 * org.collab4j.examples.Main} lists the commands.
 */
package org.collab4j.examples;
