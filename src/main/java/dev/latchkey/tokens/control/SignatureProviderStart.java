package dev.latchkey.tokens.control;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.Extension;

/**
 * Starts building the signature provider ({@link SignatureProvider}) as CDI begins, the earliest point at which a
 * deployment runs application code, so that its half second of class loading runs beside the rest of the
 * deployment instead of before the first key is read. Observes nothing else.
 */
public class SignatureProviderStart implements Extension {

    void beforeDiscovery(@Observes BeforeBeanDiscovery event) {
        SignatureProvider.prepare();
    }
}
