interface Language {
  name: string;
  typed: boolean;
}

const languages: Language[] = [
  { name: "JavaScript", typed: false },
  { name: "TypeScript", typed: true },
];

for (const language of languages.filter((l) => l.typed)) {
  console.log(`Hello from ${language.name}`);
}
