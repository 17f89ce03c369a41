package dev.spike.agent.config;

/** A bad config file or flag: the message tells the keeper what to fix; the agent exits with code 2. */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
