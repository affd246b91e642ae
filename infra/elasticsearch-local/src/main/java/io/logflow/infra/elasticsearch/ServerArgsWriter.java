package io.logflow.infra.elasticsearch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.elasticsearch.bootstrap.ServerArgs;
import org.elasticsearch.common.io.stream.OutputStreamStreamOutput;
import org.elasticsearch.common.settings.KeyStoreWrapper;
import org.elasticsearch.common.settings.Settings;

/**
 * What the distribution's {@code server-cli} does before it starts the server JVM, which reads it from its standard
 * input: the node's settings ({@code config/elasticsearch.yml} and the paths), an empty keystore, the config and logs
 * directories, serialized as a {@link ServerArgs}. Run with Elasticsearch's jars on the classpath; writes the bytes
 * to a file (not to its standard output, where a library's message would corrupt them), which LocalElasticsearch
 * hands to the server's standard input, kept open: the server stops when it closes.
 *
 * <p>Arguments: the home, config and logs directories, and the file to write. The data directory and every other
 * setting come from {@code elasticsearch.yml}.
 */
public final class ServerArgsWriter {
    private ServerArgsWriter() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ServerArgsWriter <home> <config dir> <logs dir> <output file>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path config = Path.of(args[1]).toAbsolutePath();
        Path logs = Path.of(args[2]).toAbsolutePath();
        Settings settings = Settings.builder()
                .loadFromPath(config.resolve("elasticsearch.yml"))
                .put("path.home", home.toString())
                .put("path.logs", logs.toString())
                .build();
        ServerArgs serverArgs = new ServerArgs(false, false, null, KeyStoreWrapper.create(), settings, config, logs);
        try (OutputStream out = Files.newOutputStream(Path.of(args[3]))) {
            write(serverArgs, out);
        }
    }

    private static void write(ServerArgs serverArgs, OutputStream out) throws IOException {
        OutputStreamStreamOutput stream = new OutputStreamStreamOutput(out);
        serverArgs.writeTo(stream);
        stream.flush();
    }
}
