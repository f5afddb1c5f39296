const words = ["Hello", "from", "JavaScript"];
console.log(`${words.join(" ")}, in ${words.length} words`);
