package org.rapidsrivers.cli.session;

/** Understands that a command ran but did not achieve what it was asked, said in one line. */
public final class CommandFailed extends RuntimeException {
    public CommandFailed(String oneLineReason) {
        super(oneLineReason);
    }
}
