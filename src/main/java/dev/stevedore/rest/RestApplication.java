package dev.stevedore.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;

/** The REST API, version 1. */
@ApplicationPath("/api/v1")
@OpenAPIDefinition(
    info =
        @Info(
            title = "Stevedore",
            version = "1",
            description =
                "Submit jobs that run in Docker containers, follow their state and read their logs.",
            license = @License(name = "Apache-2.0")))
public class RestApplication extends Application {}
