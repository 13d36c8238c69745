package dev.latchkey.it;

import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A black-box test of the packaged WAR: Arquillian starts a real Payara Micro with it for each test class,
 * and the test talks to it only over HTTP and WebSocket, from outside.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class BlackBoxTest {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.latchkey();
    }

    @ArquillianResource
    URL base;

    Api api;

    @BeforeEach
    void connect() {
        api = new Api(base);
    }
}
