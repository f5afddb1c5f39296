const langs = ["Python", "JavaScript", "C", "C++", "Java"];
console.log(`CodeRunner runs ${langs.length} languages: ${langs.join(", ")}`);
