import MaillageCore
import Vapor

struct DirectoryModule: MaillageModule {
    let name = "directory"

    func pages(_ routes: any RoutesBuilder) {
        routes.get(use: DirectoryViews.home)
    }

    func api(_ routes: any RoutesBuilder) {
        routes.get("directory", use: DirectoryFeed.list)
        routes.get("directory", ":slug", use: DirectoryFeed.profile)
    }

    var openAPI: OpenAPIFragment {
        let profile = OAS.object([
            "linked_schemas": OAS.array(OAS.string()), "name": OAS.string(), "nickname": OAS.string(), "primary_url": OAS.string(),
            "tags": OAS.array(OAS.string()), "urls": OAS.array(OAS.object(["name": OAS.string(), "url": OAS.string()], required: ["name", "url"])),
            "description": OAS.string(), "status": OAS.string(), "full_address": OAS.string(), "country_iso_3166": OAS.string(),
            "geolocation": OAS.object(["lat": ["type": "number"], "lon": ["type": "number"]], required: ["lat", "lon"]),
            "starts_at": ["type": "integer"], "contact_details": OAS.object(["contact_form": OAS.string()], required: []),
            "geographic_scope": OAS.string(),
        ], required: ["linked_schemas", "name"], additional: true)
        return OpenAPIFragment(
            paths: [
                "/api/v1/directory": ["get": OAS.operation("directory", "The directory as Murmurations organization profiles", tag: "Directory", secured: false,
                    parameters: [OAS.queryParameter("activity", OAS.string(enum: Activity.allCases.map(\.rawValue)), "Only cooperatives running this activity"),
                                 OAS.queryParameter("commune", OAS.string(), "Only cooperatives of this commune")],
                    responses: OAS.ok("Profiles", OAS.object(["data": OAS.array(OAS.ref("MurmurationsOrganization")),
                        "meta": OAS.object(["count": ["type": "integer"], "schema": OAS.string(), "licence": OAS.string()], required: ["count", "schema", "licence"])],
                        required: ["data", "meta"])), errorCodes: [400, 422])],
                "/api/v1/directory/{slug}": ["get": OAS.operation("directoryProfile", "One cooperative's Murmurations profile", tag: "Directory", secured: false,
                    parameters: [OAS.slug], responses: OAS.ok("Profile", OAS.ref("MurmurationsOrganization")), errorCodes: [404])],
            ],
            schemas: ["MurmurationsOrganization": profile])
    }
}
