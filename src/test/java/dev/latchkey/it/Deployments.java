package dev.latchkey.it;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The one test deployment: the packaged latchkey.war itself, served at "/" as in latchkey-micro.jar. */
public final class Deployments {

    private Deployments() {
    }

    public static WebArchive latchkey() {
        File war = new File(System.getProperty("latchkey.war", "target/latchkey.war"));
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war").importFrom(war).as(WebArchive.class);
    }
}
