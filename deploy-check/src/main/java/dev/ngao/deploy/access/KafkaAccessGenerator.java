package dev.ngao.deploy.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Prints or writes the Kafka access files derived from Topics.
 * <pre>
 *   KafkaAccessGenerator strimzi         # the KafkaUser resources on stdout
 *   KafkaAccessGenerator compose         # the compose broker's setup script on stdout
 *   KafkaAccessGenerator --write DIR     # both, into the repository at DIR
 * </pre>
 */
public final class KafkaAccessGenerator {

    private KafkaAccessGenerator() {
    }

    public static void main(String[] arguments) throws IOException {
        if (arguments.length == 1 && arguments[0].equals("strimzi")) {
            System.out.print(KafkaAccess.strimziKafkaUsers());
        } else if (arguments.length == 1 && arguments[0].equals("compose")) {
            System.out.print(KafkaAccess.composeSetupScript());
        } else if (arguments.length == 2 && arguments[0].equals("--write")) {
            Path root = Path.of(arguments[1]);
            for (Map.Entry<String, String> file : KafkaAccess.generatedFiles().entrySet()) {
                Path target = root.resolve(file.getKey());
                Files.writeString(target, file.getValue());
                System.err.println("wrote " + target);
            }
        } else {
            System.err.println("usage: KafkaAccessGenerator strimzi | compose | --write <repository root>");
            System.exit(2);
        }
    }
}
