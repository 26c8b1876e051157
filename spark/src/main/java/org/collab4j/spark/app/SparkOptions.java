package org.collab4j.spark.app;

import org.apache.spark.sql.SparkSession;

import picocli.CommandLine.Option;

/** The options every command that starts Spark shares. */
final class SparkOptions {

    @Option(names = "--master", description = "Spark master, e.g. local[2], yarn, spark://host:7077 (default:"
            + " spark.master as spark-submit sets it, else local[*])")
    String master;

    /** Starts (or joins) the session; quiet logs, no UI unless spark-submit asked for one. */
    SparkSession session(String appName) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (master != null) {
            builder.master(master);
        } else if (System.getProperty("spark.master") == null) {
            builder.master("local[*]");
        }
        if (System.getProperty("spark.ui.enabled") == null) {
            builder.config("spark.ui.enabled", "false");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
