"""The schema.org types a mapping entry may name (``schema_type``), by family.

The JSON-LD stage publishes each family differently (which property links a node to its
``part_of`` entity depends on it); ``toolkit validate`` refuses any other type.
"""

# Which property links a node to its ``part_of`` entity depends on the node's family.
ORGANIZATION_TYPES = frozenset({
    "Organization", "GovernmentOrganization", "NGO", "ResearchOrganization", "Corporation",
    "EducationalOrganization", "CollegeOrUniversity", "NewsMediaOrganization", "Project",
    "ResearchProject", "FundingAgency", "Consortium", "LibrarySystem", "PoliticalParty",
    "MedicalOrganization", "OnlineBusiness", "SportsOrganization", "WorkersUnion",
    "PerformingGroup", "Airline", "LocalBusiness", "Library", "PoliceStation",
})
CREATIVE_WORK_TYPES = frozenset({
    "CreativeWork", "Periodical", "Book", "Article", "ScholarlyArticle", "Report", "Chapter",
    "WebSite", "WebPage", "Newspaper", "CreativeWorkSeries", "BookSeries", "Legislation",
    "Dataset", "Thesis", "Collection", "NewsArticle", "Blog", "Course",
})
PLACE_TYPES = frozenset({
    "Place", "Country", "City", "State", "AdministrativeArea", "Continent",
})
PERSON_TYPES = frozenset({"Person"})
KNOWN_TYPES = ORGANIZATION_TYPES | CREATIVE_WORK_TYPES | PLACE_TYPES | PERSON_TYPES | {"Thing"}
