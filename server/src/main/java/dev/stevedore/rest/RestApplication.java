package dev.stevedore.rest;

import dev.stevedore.core.Role;
import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The REST API, version 1. The error answers every resource shares are declared here once and
 * referred to by name ({@code @APIResponse(responseCode = "404", ref = "NotFound")}).
 */
@ApplicationPath("/api/v1")
@DeclareRoles({Role.ADMIN_NAME, Role.OPERATOR_NAME, Role.SUBMITTER_NAME, Role.VIEWER_NAME})
@SecurityScheme(
    securitySchemeName = "apiKey",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "An API key: 'Authorization: Bearer sdk_...'")
@OpenAPIDefinition(
    security = @SecurityRequirement(name = "apiKey"),
    info =
        @Info(
            title = "Stevedore",
            version = "1",
            description =
                "Submit jobs that run in hardened Docker containers, follow their state, and read"
                    + " their logs and outputs.",
            license = @License(name = "Apache-2.0")),
    components =
        @Components(
            responses = {
              @APIResponse(
                  name = "Invalid",
                  responseCode = "400",
                  description = "The request is not valid; nothing was changed",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = "Unauthorized",
                  responseCode = "401",
                  description = "No valid API key",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = "Forbidden",
                  responseCode = "403",
                  description = "The key's role does not allow this",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = "TooManyRequests",
                  responseCode = "429",
                  description = "Rate limit or queue quota exceeded; see Retry-After",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = "NotFound",
                  responseCode = "404",
                  description = "No such job, or no such file of it",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = "Conflict",
                  responseCode = "409",
                  description = "The job's state does not allow this",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class))),
              @APIResponse(
                  name = "TooLarge",
                  responseCode = "413",
                  description = "The upload or its unpacked inputs are too large",
                  content =
                      @Content(
                          mediaType = Problem.MEDIA_TYPE,
                          schema = @Schema(implementation = Problem.class)))
            }))
public class RestApplication extends Application {}
