// Written by `albatross check src/app.ts --out src/albatross.table.ts` once every declaration and ALB check passed.
// createApp({ table }) skips those checks while this table matches the controllers, and refuses
// it otherwise: run the command again after changing a route or the app options. Do not edit.
export default {
  albatross: 'verified-table/2',
  command: 'albatross check src/app.ts --out src/albatross.table.ts',
  priorities: [1000, 1010, 1020],
  sources: ['Hello.lambda', 'Hello.todos', 'Hello.create'],
  checked: '[3,null,null,null,["lambda","/lambda",["GET","HEAD"],[],null,1000,"default",null,null,[[0,"query","query",0,"String",null]]],["todos","/todos",["GET","HEAD"],[],null,1010,"default",null,null,[[0,"query","tag",1,["String"],null]]],["create","/users",["POST"],[],null,1020,"default",null,201,[[0,"body",null,0,{"dto":1},null]]]]',
}
