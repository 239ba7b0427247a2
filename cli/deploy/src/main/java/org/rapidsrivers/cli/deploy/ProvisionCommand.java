package org.rapidsrivers.cli.deploy;

import java.util.concurrent.Callable;
import org.rapidsrivers.aws.AwsBackend;
import org.rapidsrivers.aws.provision.AwsProvisioner;
import org.rapidsrivers.cli.session.Session;
import org.rapidsrivers.core.InvalidInput;
import org.rapidsrivers.hosts.aws.S3Archive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Understands how to make a stage's base resources on an AWS-compatible endpoint (streams, topic,
 * catalog table, KMS key and alias, dead-letter queues), idempotently: for emulators and tests.
 * CloudFormation (make deploy) is the way to deploy to AWS.
 */
@Command(name = "provision", abbreviateSynopsis = true,
        description = "Create the stage's streams, topic, tables, key and dead-letter queues (aws backend)")
public final class ProvisionCommand implements Callable<Integer> {
    private final Session session;

    @Option(names = "--shards", paramLabel = "<n>", defaultValue = "2", description = "Shards of the rapids stream (default: ${DEFAULT-VALUE}).")
    int shards;

    public ProvisionCommand(Session session) {
        this.session = session;
    }

    @Override
    public Integer call() {
        StreamShards.require(shards);
        AwsBackend aws = session.aws();
        new AwsProvisioner(aws.clients(), aws.settings()).provision(shards).forEach(session.output()::plain);
        session.output().plain(S3Archive.provision(aws));
        return 0;
    }
}
